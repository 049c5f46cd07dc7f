package org.openigc.server.certificates;

import java.util.Optional;

import org.openigc.server.security.CurrentUser;
import org.springframework.stereotype.Component;

@Component
class SecurityCurrentRequester implements CurrentRequester {
    private final CurrentUser currentUser;

    SecurityCurrentRequester(CurrentUser currentUser) {
        this.currentUser = currentUser;
    }

    @Override
    public Optional<Requester> get() {
        return currentUser.get().map(u -> new Requester(u.personId(), u.name(), u.cardLogin(), u.isOperator()));
    }
}
