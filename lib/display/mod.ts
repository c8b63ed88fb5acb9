/**
 * Rich display: MIME bundles for Jupyter front ends, delivered without loss.
 *
 * @module
 */
export * from "./output.ts";
