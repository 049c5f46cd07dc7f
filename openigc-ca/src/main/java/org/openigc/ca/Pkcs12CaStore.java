package org.openigc.ca;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;

/**
 * CA keys in password-encrypted PKCS#12 files, one file per CA ({@code <name>.p12}), written 0600. The JDK's
 * PKCS#12 store encrypts keys with PBES2 / AES-256 and an HMAC-SHA256 integrity check.
 */
public final class Pkcs12CaStore {
    private static final String ALIAS = "ca";

    private final Path directory;
    private final char[] password;

    public Pkcs12CaStore(Path directory, char[] password) {
        this.directory = directory;
        this.password = password.clone();
    }

    public Path fileOf(String caName) {
        return directory.resolve(caName + ".p12");
    }

    public boolean exists(String caName) {
        return Files.isRegularFile(fileOf(caName));
    }

    public void save(CaKey key) {
        try {
            Files.createDirectories(directory);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, key.privateKey(), password, key.chain().toArray(Certificate[]::new));
            Path target = fileOf(key.name());
            Path temporary = Files.createTempFile(directory, key.name(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (OutputStream out = Files.newOutputStream(temporary, StandardOpenOption.TRUNCATE_EXISTING)) {
                store.store(out, password);
            }
            // atomic: a crash never leaves half a key file
            Files.move(temporary, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | GeneralSecurityException e) {
            throw new CaException(CaErrorCode.KEYSTORE, "cannot write the key store of CA " + key.name(), e);
        }
    }

    public CaKey load(String caName) {
        try (InputStream in = Files.newInputStream(fileOf(caName))) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            Key key = store.getKey(ALIAS, password);
            Certificate[] chain = store.getCertificateChain(ALIAS);
            if (!(key instanceof PrivateKey privateKey) || chain == null) {
                throw new CaException(CaErrorCode.KEYSTORE, "key store of CA " + caName + " holds no key entry");
            }
            return new CaKey(caName, privateKey, null,
                    Arrays.stream(chain).map(c -> (X509Certificate) c).toList());
        } catch (IOException e) {
            throw new CaException(CaErrorCode.KEYSTORE,
                    "cannot open the key store of CA " + caName + " (wrong password or damaged file)", e);
        } catch (GeneralSecurityException e) {
            throw new CaException(CaErrorCode.KEYSTORE, "cannot read the key store of CA " + caName, e);
        }
    }

    public List<String> names() {
        try (var files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".p12"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
