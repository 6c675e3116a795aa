/**
 * What wsauth's modules share with each other but users should not call: no compatibility promise, not part
 * of the API, left out of the javadoc.
 */
package io.github.wsauth.internal;
