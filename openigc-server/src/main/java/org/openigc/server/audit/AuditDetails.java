package org.openigc.server.audit;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Details are a flat JSON object of strings: what is hashed is exactly what jsonb gives back. */
final class AuditDetails {
    static final JsonMapper JSON = JsonMapper.shared();

    private AuditDetails() {
    }

    /** Sorted copy; null keys or values are dropped, NUL characters (refused by PostgreSQL) replaced. */
    static Map<String, String> normalise(Map<String, String> details) {
        Map<String, String> sorted = new TreeMap<>();
        if (details != null) {
            details.forEach((key, value) -> {
                if (key != null && value != null) {
                    sorted.put(AuditText.clean(key), AuditText.clean(value));
                }
            });
        }
        return Collections.unmodifiableMap(sorted);
    }

    static String toJson(Map<String, String> details) {
        return JSON.writeValueAsString(details);
    }

    /** @throws IllegalArgumentException when the stored value is not an object of strings (it was tampered with) */
    static Map<String, String> fromJson(String json) {
        JsonNode node = JSON.readTree(json);
        if (!node.isObject()) {
            throw new IllegalArgumentException("details are not a JSON object");
        }
        Map<String, String> details = new TreeMap<>();
        for (Map.Entry<String, JsonNode> property : node.properties()) {
            if (!property.getValue().isString()) {
                throw new IllegalArgumentException("detail " + property.getKey() + " is not a string");
            }
            details.put(property.getKey(), property.getValue().stringValue());
        }
        return Collections.unmodifiableMap(details);
    }
}
