package io.dbrescue.gui;

/** The steps of the wizard, in order (docs/user-guide.md, "The wizard, step by step"). */
public enum WizardStep {
    SOURCE("Source", "Choose the backup folder"),
    SCAN("Scan", "What the backup holds"),
    TARGET("Target", "What this machine has"),
    STRATEGY("Strategy", "How each database comes back"),
    PREFLIGHT("Pre-flight", "Checks before anything changes"),
    PREVIEW("Preview", "Every step, before it runs"),
    RUN("Run", "Bringing the databases back"),
    SUMMARY("Summary", "What happened");

    private final String title;
    private final String subtitle;

    WizardStep(String title, String subtitle) {
        this.title = title;
        this.subtitle = subtitle;
    }

    public String title() {
        return title;
    }

    public String subtitle() {
        return subtitle;
    }
}
