using System.Text.Json.Nodes;
using EbpfConsole.E2e.Tests.Support;

namespace EbpfConsole.E2e.Tests.Preflight;

/// <summary>One `preflight --json` run of the installed binary, parsed.</summary>
internal sealed record PreflightRun(CliResult Result, JsonObject Json)
{
    public static PreflightRun Of(params string[] args)
    {
        var result = InstalledConsole.Run(["preflight", "--json", .. args]);
        var json = JsonNode.Parse(result.Stdout) as JsonObject
            ?? throw new InvalidOperationException($"preflight printed no JSON object (exit {result.ExitCode}): {result.Stdout}\n{result.Stderr}");
        return new PreflightRun(result, json);
    }

    public IEnumerable<JsonObject> Checks => Json["checks"]!.AsArray().Select(c => c!.AsObject());

    public IEnumerable<JsonObject> Where(string verdict) => Checks.Where(c => (string?)c["verdict"] == verdict);

    public JsonObject Check(string id, string? node) =>
        Checks.Single(c => (string?)c["id"] == id && (string?)c["node"] == node);

    /// <summary>"P10@node-1" per failing check, for readable assertions.</summary>
    public string[] Failing => [.. Where("fail").Select(c => $"{c["id"]}@{(string?)c["node"] ?? "cluster"}").Order(StringComparer.Ordinal)];

    public string Describe() => $"exit {Result.ExitCode}; stderr: {Result.Stderr}\n{Result.Stdout}";
}
