package org.openigc.identifiers;

/** The identifiers of the French health sector that OpenIGC validates (DOMAIN §4). */
public enum IdentifierType {
    FINESS, SIREN, SIRET, RPPS, RPPS_RANG, ADELI, INS, IPP
}
