package io.podserve.model.chat;

import java.util.List;

/** A Python tuple: a list that prints with parentheses. */
record PyTuple(List<Object> items) {
    PyTuple {
        items = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(items));
    }
}
