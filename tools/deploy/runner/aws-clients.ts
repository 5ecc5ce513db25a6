import type { RunnerClients } from "./runner";

/**
 * The runner's AWS calls through the AWS SDK, each client loaded when first used.
 *
 * UNVERIFIED OFFLINE: the tests drive runInner with fake clients; only a real run confirms these calls
 * (the request shapes follow the SDK's types, the status values CodeBuild's BatchGetBuilds).
 */
export function awsRunnerClients(region: string): RunnerClients {
  const codebuild = async () => {
    const sdk = await import("@aws-sdk/client-codebuild");
    return { sdk, client: new sdk.CodeBuildClient({ region }) };
  };
  return {
    async putSecret(secretArn, value) {
      const sdk = await import("@aws-sdk/client-secrets-manager");
      await new sdk.SecretsManagerClient({ region }).send(
        new sdk.PutSecretValueCommand({ SecretId: secretArn, SecretString: value }),
      );
    },
    async putObject(bucket, key, body, metadata) {
      const sdk = await import("@aws-sdk/client-s3");
      await new sdk.S3Client({ region }).send(
        new sdk.PutObjectCommand({ Bucket: bucket, Key: key, Body: body, Metadata: metadata }),
      );
    },
    async startBuild(input) {
      const { sdk, client } = await codebuild();
      const out = await client.send(
        new sdk.StartBuildCommand({
          projectName: input.projectName,
          sourceTypeOverride: "S3",
          sourceLocationOverride: input.sourceLocation,
          environmentVariablesOverride: Object.entries(input.env).map(([name, value]) => ({
            name,
            value,
            type: "PLAINTEXT",
          })),
        }),
      );
      if (!out.build?.id) throw new Error("CodeBuild returned no build id");
      return out.build.id;
    },
    async getBuild(id) {
      const { sdk, client } = await codebuild();
      const out = await client.send(new sdk.BatchGetBuildsCommand({ ids: [id] }));
      const build = out.builds?.[0];
      if (!build) throw new Error(`CodeBuild does not know build ${id}`);
      return {
        status: build.buildStatus ?? "IN_PROGRESS",
        ...(build.logs?.streamName ? { logStream: build.logs.streamName } : {}),
      };
    },
    async getLogEvents(group, stream, token) {
      const sdk = await import("@aws-sdk/client-cloudwatch-logs");
      try {
        const out = await new sdk.CloudWatchLogsClient({ region }).send(
          new sdk.GetLogEventsCommand({
            logGroupName: group,
            logStreamName: stream,
            startFromHead: true,
            ...(token ? { nextToken: token } : {}),
          }),
        );
        return {
          lines: (out.events ?? []).map((e) => (e.message ?? "").replace(/\n$/, "")),
          ...(out.nextForwardToken ? { nextToken: out.nextForwardToken } : {}),
        };
      } catch (err) {
        // The stream appears a little after the build starts.
        if ((err as { name?: string }).name === "ResourceNotFoundException") return { lines: [] };
        throw err;
      }
    },
    async stopBuild(id) {
      const { sdk, client } = await codebuild();
      await client.send(new sdk.StopBuildCommand({ id }));
    },
  };
}
