/**
 * callbacks — see README.md.
 *
 * @module
 */
export {};
