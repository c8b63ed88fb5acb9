/**
 * io — see README.md.
 *
 * @module
 */
export {};
