package org.openigc.ca;

/** The only exception the CA core throws for bad input or broken key material. */
public final class CaException extends RuntimeException {
    private final CaErrorCode errorCode;

    public CaException(CaErrorCode errorCode, String message) {
        super(message);
        this.errorCode = errorCode;
    }

    public CaException(CaErrorCode errorCode, String message, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
    }

    public CaErrorCode errorCode() {
        return errorCode;
    }

    public static CaException badCsr(CaErrorCode code, String message) {
        return new CaException(code, message);
    }
}
