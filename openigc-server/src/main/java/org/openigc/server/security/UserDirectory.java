package org.openigc.server.security;

import java.util.Optional;
import java.util.function.Consumer;

import org.openigc.server.database.RoundTrip;

/**
 * Where login finds people: implemented by the registry, so that security depends on no feature package.
 */
public interface UserDirectory {
    Optional<DirectoryEntry> byIdNatPs(String idNatPs);

    /**
     * The same lookup as a statement to send with others in one {@link RoundTrip}: {@code found} gets the entry
     * once the trip is done (nothing when the person is unknown).
     */
    RoundTrip.Statement byIdNatPs(String idNatPs, Consumer<DirectoryEntry> found);
}
