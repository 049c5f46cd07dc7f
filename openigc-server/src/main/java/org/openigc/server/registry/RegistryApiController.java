package org.openigc.server.registry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.openigc.ca.Offer;
import org.openigc.server.security.CurrentUser;
import org.openigc.server.security.OpenIgcUser;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/me} and {@code GET /api/v1/structures} (SPEC §7). */
@RestController
class RegistryApiController {
    private final RegistryService registry;
    private final CurrentUser currentUser;

    RegistryApiController(RegistryService registry, CurrentUser currentUser) {
        this.registry = registry;
        this.currentUser = currentUser;
    }

    /**
     * Who is logged in: {@code name, cardNumber, idNatPS, roles[], habilitations: [{structure, name, offers[]}]}; the
     * structures the person represents or has a delegation on are listed too ({@code relations} says why).
     */
    @GetMapping("/api/v1/me")
    Map<String, Object> me() {
        OpenIgcUser user = currentUser.require();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", user.name());
        body.put("cardNumber", user.cardNumber());
        body.put("idNatPS", user.idNatPs());
        body.put("roles", user.roles().stream().map(Enum::name).sorted().toList());
        if (user.region() != null) {
            body.put("region", user.region());
        }
        body.put("cardLogin", user.cardLogin());
        body.put("habilitations", registry.accessOf(user.personId()).stream().map(access -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("structure", access.structure().idNatStruct());
            entry.put("name", access.structure().name());
            entry.put("offers", access.offers().stream().sorted().map(Offer::name).toList());
            entry.put("relations", access.relations());
            return entry;
        }).toList());
        return body;
    }

    /** The structures visible to the caller, searched by name, identifier or city. */
    @GetMapping("/api/v1/structures")
    Map<String, Object> structures(@RequestParam(required = false) String q,
                                   @RequestParam(defaultValue = "0") int page,
                                   @RequestParam(defaultValue = "50") int size) {
        OpenIgcUser user = currentUser.require();
        List<Map<String, Object>> items = registry.visibleStructures(user.personId(), q, page, size).stream()
                .map(RegistryApiController::json).toList();
        return Map.of("items", items, "page", Math.max(page, 0));
    }

    static Map<String, Object> json(Structure s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("idNatStruct", s.idNatStruct());
        m.put("kind", s.kind().name());
        m.put("name", s.name());
        if (s.finess() != null) {
            m.put("finess", s.finess());
        }
        if (s.siret() != null) {
            m.put("siret", s.siret());
        }
        if (s.siren() != null) {
            m.put("siren", s.siren());
        }
        if (s.rppsRang() != null) {
            m.put("rppsRang", s.rppsRang());
        }
        m.put("departement", s.departement());
        if (s.region() != null) {
            m.put("region", s.region());
        }
        m.put("sector", s.sector().name());
        m.put("mayOrderUnderEj", s.mayOrderUnderEj());
        if (s.groupName() != null) {
            m.put("group", s.groupName());
        }
        return m;
    }
}
