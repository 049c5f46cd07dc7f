package org.openigc.server.registry;

/** CPS: health professional · CPE: employee of a structure · CPA: staff of an editor or other organisation · CDE: director. */
public enum CardType {
    CPS, CPE, CPA, CDE;

    /** CPE, CPA and CDE cards belong to a structure; a CPS belongs to its holder. */
    public boolean needsStructure() {
        return this != CPS;
    }
}
