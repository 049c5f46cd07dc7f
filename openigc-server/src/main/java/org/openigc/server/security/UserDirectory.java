package org.openigc.server.security;

import java.util.Optional;

/**
 * Where login finds people: implemented by the registry, so that security depends on no feature package.
 */
public interface UserDirectory {
    Optional<DirectoryEntry> byIdNatPs(String idNatPs);
}
