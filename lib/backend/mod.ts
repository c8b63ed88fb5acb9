/**
 * backend — see README.md.
 *
 * @module
 */
export {};
