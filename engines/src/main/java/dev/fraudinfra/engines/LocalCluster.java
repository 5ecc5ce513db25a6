package dev.fraudinfra.engines;

import java.net.URI;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;

/**
 * One Flink cluster (a JobManager and a TaskManager in this JVM) that every job of a scenario is
 * submitted to over its REST endpoint, as statements share a compute pool: starting a cluster per job
 * would cost seconds each.
 */
final class LocalCluster implements AutoCloseable {
  private static final int SLOTS = 16;
  private final MiniCluster cluster;
  private final URI rest;

  private LocalCluster(MiniCluster cluster, URI rest) {
    this.cluster = cluster;
    this.rest = rest;
  }

  static LocalCluster start() throws Exception {
    Configuration conf = new Configuration();
    conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    conf.set(RestOptions.PORT, 0);
    conf.set(TaskManagerOptions.NUM_TASK_SLOTS, SLOTS);
    MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
        .setConfiguration(conf)
        .setNumTaskManagers(1)
        .setNumSlotsPerTaskManager(SLOTS)
        .build());
    cluster.start();
    return new LocalCluster(cluster, cluster.getRestAddress().get());
  }

  /** A streaming TableEnvironment whose jobs run on this cluster. */
  TableEnvironment tableEnvironment() {
    Configuration conf = new Configuration();
    conf.set(DeploymentOptions.TARGET, "remote");
    conf.set(RestOptions.ADDRESS, rest.getHost());
    conf.set(RestOptions.PORT, rest.getPort());
    return TableEnvironment.create(EnvironmentSettings.newInstance().inStreamingMode().withConfiguration(conf).build());
  }

  @Override
  public void close() throws Exception {
    cluster.close();
  }
}
