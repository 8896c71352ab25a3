package io.dbrescue.gui;

import javafx.beans.value.ObservableStringValue;

/** What the wizard needs from each step's view-model. */
public interface StepViewModel {
    /** Why Next is blocked here, in the user's words; "" when it is not. */
    ObservableStringValue blocked();

    /** Called when the user arrives at the step (forward or back). */
    default void entered() {
    }
}
