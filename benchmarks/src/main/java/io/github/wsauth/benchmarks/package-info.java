/**
 * JMH benchmarks for wsauth. Every figure is measured next to a baseline in the same run; see
 * {@code docs/BENCHMARKS.md} for the method, the command and the results. Not published.
 */
package io.github.wsauth.benchmarks;
