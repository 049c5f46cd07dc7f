package org.openigc.ca;

/** Offer types: ORG (legal person), SERV (server / mail domain), PRO (a person of a structure), CPX (card). */
public enum Offer {
    ORG, SERV, PRO, CPX
}
