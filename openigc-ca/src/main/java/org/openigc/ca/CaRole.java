package org.openigc.ca;

/** The three CAs of one environment. */
public enum CaRole {
    ROOT("AC RACINE IGC-SANTE"),
    ORGANISATIONS("AC IGC-SANTE ORGANISATIONS"),
    PERSONNES("AC IGC-SANTE PERSONNES");

    private final String defaultCommonName;

    CaRole(String defaultCommonName) {
        this.defaultCommonName = defaultCommonName;
    }

    public String defaultCommonName() {
        return defaultCommonName;
    }
}
