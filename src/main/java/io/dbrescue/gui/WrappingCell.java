package io.dbrescue.gui;

import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.TableCell;
import javafx.scene.layout.HBox;
import javafx.scene.text.Text;

import java.util.function.Function;

/**
 * A table cell for words a person must read whole (a finding's name, a step's title): in a narrow window its
 * text goes on over more lines and the row grows, where a plain cell would cut it with "…". A plain cell's text
 * cannot do that — the table asks a row's height without a width, so a wrapping label stays one line high — so
 * the text is a {@link Text} wrapped at the cell's width, drawn in the cell's font and colour (white when the
 * row is selected), with an optional icon before it.
 */
final class WrappingCell<S> extends TableCell<S, String> {
    private static final double GAP = 4;
    private final Text text = new Text();
    private final Function<S, Node> icon;

    /** @param icon the icon before a row's text (null: none) */
    WrappingCell(Function<S, Node> icon) {
        this.icon = icon;
        text.getStyleClass().add("wrapped-text");
        text.fillProperty().bind(textFillProperty()); // the font comes by CSS inheritance from the cell
        setText(null);
    }

    @Override
    protected void updateItem(String item, boolean empty) {
        super.updateItem(item, empty);
        if (empty || item == null) {
            setGraphic(null);
            return;
        }
        text.setText(item);
        // the row's item by index: the row itself may not have been given its new item yet when a cell is reused
        int i = getIndex();
        S row = getTableView() == null || i < 0 || i >= getTableView().getItems().size() ? null
                : getTableView().getItems().get(i);
        Node before = icon == null || row == null ? null : icon.apply(row);
        HBox box = before == null ? new HBox(text) : new HBox(GAP, before, text);
        box.setAlignment(Pos.CENTER_LEFT);
        // the column's width, not the cell's: a new cell is 0 wide when the table first asks its height, and the
        // table keeps the height of a row once measured (a one-line title would sit in a row ten lines high)
        javafx.beans.value.ObservableDoubleValue width = getTableColumn() != null ? getTableColumn().widthProperty()
                : widthProperty();
        // the icon's width as laid out (before its first layout: at least its minimum, the badge's 26 px)
        javafx.beans.Observable iconWidth = before instanceof javafx.scene.layout.Region r ? r.widthProperty() : width;
        text.wrappingWidthProperty().bind(Bindings.createDoubleBinding(() -> Math.max(20, width.get()
                - snappedLeftInset() - snappedRightInset() - iconWidth(before) - 2), width, paddingProperty(), iconWidth));
        setGraphic(box);
    }

    private static double iconWidth(Node icon) {
        if (icon == null) {
            return 0;
        }
        double laidOut = icon instanceof javafx.scene.layout.Region r ? r.getWidth() : 0;
        return Math.max(laidOut, Math.max(icon.minWidth(-1), icon.prefWidth(-1))) + GAP;
    }
}
