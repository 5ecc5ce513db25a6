import type { RunnerClients } from "./runner";

function lazyClient<Sdk, Client>(load: () => Promise<Sdk>, make: (sdk: Sdk) => Client) {
  let client: Client | undefined;
  return async () => {
    const sdk = await load();
    return { sdk, client: (client ??= make(sdk)) };
  };
}

/**
 * The runner's AWS calls through the AWS SDK, each client loaded and made when first used, then reused
 * (the build and its log are polled every few seconds).
 *
 * UNVERIFIED OFFLINE: the tests drive runInner with fake clients; only a real run confirms these calls
 * (the request shapes follow the SDK's types, the status values CodeBuild's BatchGetBuilds).
 */
export function awsRunnerClients(region: string): RunnerClients {
  const secrets = lazyClient(
    () => import("@aws-sdk/client-secrets-manager"),
    (sdk) => new sdk.SecretsManagerClient({ region }),
  );
  const s3 = lazyClient(
    () => import("@aws-sdk/client-s3"),
    (sdk) => new sdk.S3Client({ region }),
  );
  const codebuild = lazyClient(
    () => import("@aws-sdk/client-codebuild"),
    (sdk) => new sdk.CodeBuildClient({ region }),
  );
  const logs = lazyClient(
    () => import("@aws-sdk/client-cloudwatch-logs"),
    (sdk) => new sdk.CloudWatchLogsClient({ region }),
  );
  return {
    async putSecret(secretArn, value) {
      const { sdk, client } = await secrets();
      await client.send(new sdk.PutSecretValueCommand({ SecretId: secretArn, SecretString: value }));
    },
    async putObject(bucket, key, body, metadata) {
      const { sdk, client } = await s3();
      await client.send(
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
      const { sdk, client } = await logs();
      try {
        const out = await client.send(
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
