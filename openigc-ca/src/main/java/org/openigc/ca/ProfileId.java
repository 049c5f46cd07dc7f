package org.openigc.ca;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Every end-entity profile the platform issues (DOMAIN §2). */
public enum ProfileId {
    ORG_AUTH_CLI(Offer.ORG, Usage.AUTH_CLI, CaRole.ORGANISATIONS),
    ORG_SIGN(Offer.ORG, Usage.SIGN, CaRole.ORGANISATIONS),
    ORG_CONF(Offer.ORG, Usage.CONF, CaRole.ORGANISATIONS),
    SERV_SSL_SERVEUR(Offer.SERV, Usage.SSL_SERVEUR, CaRole.ORGANISATIONS),
    SERV_SMIME(Offer.SERV, Usage.SMIME, CaRole.ORGANISATIONS),
    SERV_SIGN(Offer.SERV, Usage.SIGN, CaRole.ORGANISATIONS),
    SERV_CONF(Offer.SERV, Usage.CONF, CaRole.ORGANISATIONS),
    PRO_AUTH(Offer.PRO, Usage.AUTH, CaRole.PERSONNES),
    PRO_SIGN(Offer.PRO, Usage.SIGN, CaRole.PERSONNES),
    PRO_CONF(Offer.PRO, Usage.CONF, CaRole.PERSONNES),
    CPX_AUTH(Offer.CPX, Usage.AUTH, CaRole.PERSONNES),
    CPX_SIGN(Offer.CPX, Usage.SIGN, CaRole.PERSONNES);

    private final Offer offer;
    private final Usage usage;
    private final CaRole issuer;

    ProfileId(Offer offer, Usage usage, CaRole issuer) {
        this.offer = offer;
        this.usage = usage;
        this.issuer = issuer;
    }

    public Offer offer() {
        return offer;
    }

    public Usage usage() {
        return usage;
    }

    /** Which intermediate of the environment issues this profile. */
    public CaRole issuer() {
        return issuer;
    }

    /** The profile for an offer and usage as the API names them; PRO accepts AUTH_CLI as AUTH. */
    public static Optional<ProfileId> of(Offer offer, Usage usage) {
        Usage normalised = (offer == Offer.PRO || offer == Offer.CPX) && usage == Usage.AUTH_CLI ? Usage.AUTH : usage;
        return Arrays.stream(values()).filter(p -> p.offer == offer && p.usage == normalised).findFirst();
    }

    /** Lower case with dashes, as EST labels use it: {@code org-auth-cli}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<ProfileId> fromLabel(String label) {
        return Arrays.stream(values()).filter(p -> p.label().equals(label)).findFirst();
    }
}
