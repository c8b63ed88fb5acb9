/**
 * data — see README.md.
 *
 * @module
 */
export {};
