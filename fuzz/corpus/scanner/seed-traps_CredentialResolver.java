traps/CredentialResolver.java
package com.acme.cloud;

public final class CredentialResolver {
    // names, not values
    private String accessKeyId = resolveAccessKeyIdFromVault();
    private String accessKeySecret = resolveAccessKeySecretFromVault();
    private String secretKey = loadSecretKeyFromKeystoreProvider();
    private static final String ACCESS_KEY_SECRET = "AccessKeySecretPropertyNameKey";

    private static String resolveAccessKeyIdFromVault() { return null; }
    private static String resolveAccessKeySecretFromVault() { return null; }
    private static String loadSecretKeyFromKeystoreProvider() { return null; }
}
