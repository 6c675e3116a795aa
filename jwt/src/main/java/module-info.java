/**
 * wsauth-jwt: signed, short-lived JWT tokens for wsauth on Nimbus JOSE+JWT, the only wsauth module whose API
 * shows Nimbus types (keys, algorithms, key sets).
 */
module io.github.wsauth.jwt {
  requires transitive io.github.wsauth.core;
  requires transitive com.nimbusds.jose.jwt;

  exports io.github.wsauth.jwt;
}
