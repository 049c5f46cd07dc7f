package org.openigc.server.notifications;

import java.util.Map;

import org.openigc.server.audit.AuditTrail;
import org.openigc.server.security.CurrentUser;
import org.openigc.server.security.OpenIgcUser;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** {@code GET|PUT /api/v1/me/notification-preferences {"digest": true}}: the signed-in user's own choice. */
@RestController
@RequestMapping("/api/v1/me/notification-preferences")
class NotificationPreferenceController {
    record Preferences(Boolean digest) {
    }

    private final NotificationPreferences preferences;
    private final CurrentUser currentUser;
    private final AuditTrail audit;

    NotificationPreferenceController(NotificationPreferences preferences, CurrentUser currentUser, AuditTrail audit) {
        this.preferences = preferences;
        this.currentUser = currentUser;
        this.audit = audit;
    }

    @GetMapping
    Preferences get() {
        return new Preferences(preferences.digest(person().personId()));
    }

    @PutMapping
    Preferences put(@RequestBody Preferences body) {
        if (body == null || body.digest() == null) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "digest: true or false");
        }
        OpenIgcUser user = person();
        preferences.setDigest(user.personId(), body.digest());
        audit.record("notification.preferences", "person", user.personId().toString(),
                Map.of("digest", body.digest().toString()));
        return new Preferences(body.digest());
    }

    private OpenIgcUser person() {
        OpenIgcUser user = currentUser.require();
        if (user.personId() == null) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN);
        }
        return user;
    }
}
