package io.dbrescue.gui;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The one place where the wizard's view-models are made and wired together (constructor injection by hand). */
public final class Wizard {
    public final WizardModel model = new WizardModel();
    /** The engine behind the wizard (also the Settings and History pages' files). */
    public final RecoveryService service;
    public final SourceViewModel source;
    public final ScanViewModel scan;
    public final TargetViewModel target;
    public final StrategyViewModel strategy;
    public final PreflightViewModel preflight;
    public final PreviewViewModel preview;
    public final RunViewModel run;
    public final SummaryViewModel summary;
    public final WizardViewModel navigation;

    public Wizard(RecoveryService service, Jobs jobs, Dialogs dialogs, Runnable close, List<String> recentFolders) {
        this.service = service;
        source = new SourceViewModel(model, recentFolders, jobs, service);
        scan = new ScanViewModel(model, service, jobs);
        target = new TargetViewModel(model, service, jobs);
        strategy = new StrategyViewModel(model, service, jobs);
        preflight = new PreflightViewModel(model, strategy);
        preview = new PreviewViewModel(model);
        run = new RunViewModel(model, service, jobs);
        summary = new SummaryViewModel(model);
        Map<WizardStep, StepViewModel> steps = new EnumMap<>(WizardStep.class);
        steps.put(WizardStep.SOURCE, source);
        steps.put(WizardStep.SCAN, scan);
        steps.put(WizardStep.TARGET, target);
        steps.put(WizardStep.STRATEGY, strategy);
        steps.put(WizardStep.PREFLIGHT, preflight);
        steps.put(WizardStep.PREVIEW, preview);
        steps.put(WizardStep.RUN, run);
        steps.put(WizardStep.SUMMARY, summary);
        navigation = new WizardViewModel(model, steps, dialogs, close);
        model.result.addListener((o, a, r) -> navigation.runFinished());
    }
}
