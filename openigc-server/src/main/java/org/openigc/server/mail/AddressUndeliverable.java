package org.openigc.server.mail;

/**
 * Published (in the sender's transaction) when an address is newly flagged undeliverable, so the feature that owns
 * the address — notifications: tell the structure's legal representative — can react with
 * {@code @TransactionalEventListener}.
 */
public record AddressUndeliverable(String address, String error) {
}
