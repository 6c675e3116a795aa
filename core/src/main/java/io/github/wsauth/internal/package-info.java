/**
 * Internal to wsauth: helpers the wsauth modules share. Not API: nothing here is covered by compatibility
 * promises, it may change or disappear in any release, and applications must not use it.
 */
package io.github.wsauth.internal;
