package org.openigc.server.status;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param crlInterval         a new CRL at least this often, and at once on every revocation
 * @param crlValidity         nextUpdate = thisUpdate + this (longer than the interval, so a late run never leaves
 *                            relying parties with an expired CRL)
 * @param ocspValidity        nextUpdate of pre-signed OCSP responses; they are re-signed when half of it is gone
 * @param ocspResponderValidity validity of the delegated OCSP responder certificates, renewed automatically
 * @param revocationPoll      how often a node looks for revocations made by other nodes
 */
@ConfigurationProperties("openigc.status")
public record StatusProperties(
        @DefaultValue("1h") Duration crlInterval,
        @DefaultValue("6h") Duration crlValidity,
        @DefaultValue("4h") Duration ocspValidity,
        @DefaultValue("30d") Duration ocspResponderValidity,
        @DefaultValue("500ms") Duration revocationPoll,
        @DefaultValue("10") int ocspMaxRequests) {
}
