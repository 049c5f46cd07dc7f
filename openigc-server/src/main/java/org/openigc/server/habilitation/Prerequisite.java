package org.openigc.server.habilitation;

import java.util.List;

/**
 * One prerequisite of a dossier, checked live against the registry (SPEC §3.1: contract, signatory, administrators'
 * cards). The message is a bundle key with its arguments, translated where it is shown.
 *
 * @param name {@code contract}, {@code signatory} or {@code administrators[i]}
 */
public record Prerequisite(String name, boolean passed, String code, List<String> args) {
    public Prerequisite {
        args = args == null ? List.of() : List.copyOf(args);
    }

    static Prerequisite of(String name, boolean passed, String code, String... args) {
        return new Prerequisite(name, passed, code, List.of(args));
    }
}
