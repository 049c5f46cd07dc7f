package org.openigc.certdc.connection;

/** Instruction of an SI connection request: recorded awaiting instruction, then validated or rejected. */
public enum SiStatus {
    /** En attente d'instruction. */
    PENDING,
    VALIDATED,
    REJECTED
}
