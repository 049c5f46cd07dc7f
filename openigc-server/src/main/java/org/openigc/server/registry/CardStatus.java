package org.openigc.server.registry;

public enum CardStatus {
    ACTIVE, OPPOSED, EXPIRED
}
