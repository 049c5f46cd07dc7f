package org.openigc.server.security;

import java.util.Optional;

import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * The logged-in person of the current request, for services and controllers ({@code currentUser.require()}) and
 * templates ({@code ${@currentUser.orNull()}}).
 */
@Component("currentUser")
public class CurrentUser {

    public Optional<OpenIgcUser> get() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication instanceof OpenIgcAuthentication openIgc) {
            return Optional.of(openIgc.getPrincipal());
        }
        return Optional.empty();
    }

    /** @throws AuthenticationCredentialsNotFoundException (→ 401) when nobody is logged in */
    public OpenIgcUser require() {
        return get().orElseThrow(() -> new AuthenticationCredentialsNotFoundException("login required"));
    }

    public OpenIgcUser orNull() {
        return get().orElse(null);
    }

    public Optional<LoginMethod> loginMethod() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication instanceof OpenIgcAuthentication openIgc ? Optional.of(openIgc.method()) : Optional.empty();
    }

    /** TEST certificates may be ordered only after a card login (SPEC §3.6). */
    public boolean cardLogin() {
        return get().map(OpenIgcUser::cardLogin).orElse(false);
    }
}
