package io.podserve.planner.report;

import io.podserve.planner.search.Evaluation;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The throughput-per-chip against TPOT chart, every evaluated strategy and the Pareto front, as a PNG. */
public final class ParetoChart {
    private ParetoChart() {
    }

    public static void write(Path png, String title, List<Evaluation> evaluated, List<Evaluation> front) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYSeries all = new XYSeries("strategies", false);
        for (Evaluation e : evaluated) {
            if (e.goodput() > 0 && !Double.isNaN(e.tpot())) {
                all.add(e.tpot() * 1e3, e.tokensPerChip());
            }
        }
        XYSeries pareto = new XYSeries("Pareto front", false);
        for (Evaluation e : front) {
            pareto.add(e.tpot() * 1e3, e.tokensPerChip());
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(pareto);
        data.addSeries(all);
        JFreeChart chart = ChartFactory.createXYLineChart(title, "TPOT at the SLO percentile (ms)",
                "output tokens/s per chip at goodput", data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer();
        r.setSeriesLinesVisible(0, true);
        r.setSeriesShapesVisible(0, true);
        r.setSeriesLinesVisible(1, false);
        r.setSeriesShapesVisible(1, true);
        plot.setRenderer(r);
        ((org.jfree.chart.axis.NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 600);
    }
}
