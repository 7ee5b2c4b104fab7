package io.podserve.cli;

import io.podserve.model.ModelFormatException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Entry point of the runnable jar. */
@Command(name = "podserve",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = {
                "Serves Mixture-of-Experts language models with a disaggregated architecture, and plans how to deploy them.",
                "",
                "Run `podserve COMMAND --help` for the options of one command."},
        subcommands = {
                DemoCommand.class,
                InspectCommand.class,
                CheckModelCommand.class,
                GenerateCommand.class,
                TokenizeCommand.class,
                DetokenizeCommand.class,
                RenderChatCommand.class,
                SynthCommand.class,
                io.podserve.cli.bench.BenchModelCommand.class,
                io.podserve.cli.engine.BenchEngineCommand.class,
                io.podserve.cli.bench.BenchCommand.class,
                io.podserve.cli.serve.ServeCommand.class,
                io.podserve.cli.bench.xccl.XcclBenchCommand.class,
                io.podserve.cli.plan.PlanCommand.class,
                io.podserve.cli.plan.ProfileCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        // NOTE: stdout is UTF-8 whatever the platform default: rendered prompts and decoded text must arrive byte-exact.
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests call {@code execute} on it. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
        cl.setErr(new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
        cl.setExecutionExceptionHandler(Main::handleFailure);
        return cl;
    }

    /** Expected failures (bad files, bad arguments) print one clear line; anything else keeps its stack trace. */
    private static int handleFailure(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        if (e instanceof ModelFormatException || e instanceof IllegalArgumentException
                || e instanceof UncheckedIOException || e instanceof UnsupportedOperationException) {
            cl.getErr().println("error: " + e.getMessage());
            return 2;
        }
        e.printStackTrace(cl.getErr());
        return 1;
    }
}
