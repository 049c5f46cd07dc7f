package org.openigc.server.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Component;

/**
 * Opens a browser session for a person: new session id (no fixation), context stored in the session, login
 * audited. Used by the card filter, the Pro Santé Connect success handler and the demo persona picker.
 */
@Component
public class SessionLogin {
    private final SecurityContextRepository repository = new HttpSessionSecurityContextRepository();
    private final LoginAudit audit;

    SessionLogin(LoginAudit audit) {
        this.audit = audit;
    }

    public void login(HttpServletRequest request, HttpServletResponse response, OpenIgcUser user, LoginMethod method) {
        establish(request, response, new OpenIgcAuthentication(user, method, null), true);
        audit.login(request, user, method, null);
    }

    void establish(HttpServletRequest request, HttpServletResponse response, OpenIgcAuthentication authentication,
                   boolean persistInSession) {
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(authentication);
        SecurityContextHolder.setContext(context);
        if (persistInSession) {
            if (request.getSession(false) != null) {
                request.changeSessionId();
            }
            repository.saveContext(context, request, response);
        }
    }

    SecurityContextRepository repository() {
        return repository;
    }
}
