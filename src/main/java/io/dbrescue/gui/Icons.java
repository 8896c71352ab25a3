package io.dbrescue.gui;

import io.dbrescue.plan.Check;
import io.dbrescue.run.Journal;
import io.dbrescue.scan.Engine;
import javafx.geometry.Pos;
import javafx.scene.Group;
import javafx.scene.Node;
import javafx.scene.SnapshotParameters;
import javafx.scene.control.Label;
import javafx.scene.image.Image;
import javafx.scene.paint.Color;
import javafx.scene.shape.Arc;
import javafx.scene.shape.ArcType;
import javafx.scene.shape.Circle;
import javafx.scene.shape.Ellipse;
import javafx.scene.shape.Rectangle;
import javafx.scene.shape.SVGPath;
import javafx.scene.shape.StrokeLineCap;

import java.util.ArrayList;
import java.util.List;

/** Icons drawn as vector shapes, so they are sharp at any scale (HiDPI) and need no files. */
public final class Icons {
    private static List<Image> appImages;
    private Icons() {
    }

    /** A small colored badge naming the engine. */
    public static Label engine(Engine e) {
        String[] look = switch (e) {
            case POSTGRESQL -> new String[] {"PG", "#336791"};
            case MYSQL -> new String[] {"My", "#00758f"};
            case MARIADB -> new String[] {"Ma", "#a0522d"};
            case MONGODB -> new String[] {"Mo", "#3f9142"};
            case REDIS -> new String[] {"Rd", "#d82c20"};
            case SQLITE -> new String[] {"SQ", "#4f6f8f"};
        };
        Label l = new Label(look[0]);
        l.getStyleClass().add("engine-badge");
        l.setStyle("-fx-background-color: " + look[1] + ";");
        l.setMinWidth(26);
        l.setAlignment(Pos.CENTER);
        return l;
    }

    public static Node check(Check.Level level) {
        return switch (level) {
            case PASS -> pass();
            case WARN -> warn();
            case FAIL -> fail();
        };
    }

    public static Node outcome(Journal.Outcome o) {
        return switch (o) {
            case RESTORED -> pass();
            case SKIPPED, PENDING, CANCELLED -> warn();
            case FAILED -> fail();
        };
    }

    public static Node pass() {
        return symbol("#2e7d32", "M4 9 L8 13 L14 5");
    }

    public static Node fail() {
        return symbol("#c62828", "M5 5 L13 13 M13 5 L5 13");
    }

    public static Node warn() {
        Group g = new Group();
        SVGPath tri = new SVGPath();
        tri.setContent("M9 1 L17.5 17 L0.5 17 Z");
        tri.setFill(Color.web("#f9a825"));
        SVGPath mark = new SVGPath();
        mark.setContent("M9 6 L9 11 M9 13.5 L9 14.5");
        mark.setStroke(Color.web("#3e2723"));
        mark.setStrokeWidth(2);
        mark.setStrokeLineCap(StrokeLineCap.ROUND);
        g.getChildren().addAll(tri, mark);
        g.getStyleClass().add("icon-warn");
        return g;
    }

    private static Node symbol(String color, String path) {
        Circle c = new Circle(9, 9, 9, Color.web(color));
        SVGPath p = new SVGPath();
        p.setContent(path);
        p.setStroke(Color.WHITE);
        p.setStrokeWidth(2.2);
        p.setStrokeLineCap(StrokeLineCap.ROUND);
        p.setFill(null);
        Group g = new Group(c, p);
        g.getStyleClass().add(color.equals("#2e7d32") ? "icon-pass" : "icon-fail");
        return g;
    }

    /** The application icon (icons/dbrescue.svg drawn with shapes) at the usual sizes. Needs the FX thread. */
    public static synchronized List<Image> app() {
        if (appImages != null) {
            return appImages;
        }
        List<Image> images = new ArrayList<>();
        for (int size : new int[] {16, 32, 48, 64, 128, 256}) {
            Group g = appShape();
            double s = size / 512.0;
            g.setScaleX(s);
            g.setScaleY(s);
            SnapshotParameters p = new SnapshotParameters();
            p.setFill(Color.TRANSPARENT);
            images.add(new Group(g).snapshot(p, null));
        }
        appImages = List.copyOf(images);
        return appImages;
    }

    private static Group appShape() {
        Circle back = new Circle(256, 256, 232, Color.web("#e8f1fb"));
        Circle ring = new Circle(256, 256, 200, null);
        ring.setStroke(Color.web("#d9472b"));
        ring.setStrokeWidth(64);
        Group g = new Group(back, ring);
        for (int i = 0; i < 4; i++) {
            Arc a = new Arc(256, 256, 200, 200, 45 + 90 * i - 22.5, 45);
            a.setType(ArcType.OPEN);
            a.setFill(null);
            a.setStroke(Color.WHITE);
            a.setStrokeWidth(64);
            g.getChildren().add(a);
        }
        Color body = Color.web("#2f6db5");
        Color edge = Color.web("#1d4677");
        Ellipse bottom = new Ellipse(256, 322, 90, 30);
        bottom.setFill(body);
        bottom.setStroke(edge);
        bottom.setStrokeWidth(10);
        Rectangle mid = new Rectangle(166, 190, 180, 132);
        mid.setFill(body);
        Ellipse top = new Ellipse(256, 190, 90, 30);
        top.setFill(Color.web("#5b93d6"));
        top.setStroke(edge);
        top.setStrokeWidth(10);
        g.getChildren().addAll(bottom, mid, top);
        return g;
    }
}
