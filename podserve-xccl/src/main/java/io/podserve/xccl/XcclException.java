package io.podserve.xccl;

/** A communication failure: bad arguments, a rendezvous that did not complete, a message that does not fit. */
public class XcclException extends RuntimeException {

    public XcclException(String message) {
        super(message);
    }

    public XcclException(String message, Throwable cause) {
        super(message, cause);
    }
}
