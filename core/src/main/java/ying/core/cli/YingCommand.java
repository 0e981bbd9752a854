package ying.core.cli;

import java.util.concurrent.Callable;

/**
 * A {@code bin/ying} subcommand. Modules list theirs in
 * {@code META-INF/services/ying.core.cli.YingCommand}; {@link Main} offers whatever is on the class
 * path, so each module's spark-submit jar carries exactly its own commands.
 */
public interface YingCommand extends Callable<Integer> {}
