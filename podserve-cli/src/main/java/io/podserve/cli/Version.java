package io.podserve.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the jar's version and the JVM it runs on. */
final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"podserve " + (v == null ? "dev" : v),
                "JVM " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"};
    }
}
