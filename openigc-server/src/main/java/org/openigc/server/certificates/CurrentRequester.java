package org.openigc.server.certificates;

import java.util.Optional;

/** The logged-in user as ordering sees it; implemented over the security feature's principal. */
public interface CurrentRequester {
    Optional<Requester> get();
}
