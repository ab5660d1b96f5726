package dev.loomshowcase.support;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The repository's root folder, for the tests that read or run its files (README.md, slides/,
 * compare/, ./showcase, .mvn/). Maven runs each module's tests in that module's folder
 * (server/ or loadgen/), so what a test writes, under a relative {@code target/}, stays in its
 * module's target/; what it reads from the repository it finds here.
 */
public final class Repository {

    /** The nearest folder, from the working directory up, that holds both modules and ./mvnw. */
    public static final Path ROOT = find(Path.of("").toAbsolutePath());

    private Repository() {
    }

    /** A file or folder of the repository, e.g. {@code file("compare", "run")}. */
    public static Path file(String first, String... more) {
        return ROOT.resolve(Path.of(first, more));
    }

    private static Path find(Path from) {
        for (Path folder = from; folder != null; folder = folder.getParent()) {
            if (Files.isRegularFile(folder.resolve("mvnw")) && Files.isDirectory(folder.resolve("server"))
                    && Files.isDirectory(folder.resolve("loadgen"))) {
                return folder;
            }
        }
        throw new IllegalStateException("no repository root (mvnw, server/, loadgen/) above " + from);
    }
}
