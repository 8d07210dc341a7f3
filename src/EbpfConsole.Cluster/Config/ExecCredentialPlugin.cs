using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.KubeConfigModels;

namespace EbpfConsole.Cluster.Config;

/// <summary>What an exec credential plugin returned (client.authentication.k8s.io ExecCredential status).</summary>
internal sealed record ExecCredential(string? Token, string? ClientCertificatePem, string? ClientKeyPem, DateTimeOffset? Expires);

/// <summary>An exec credential plugin could not give credentials; the message is one line naming the command.</summary>
internal sealed class ExecCredentialException(string message) : Exception(message);

/// <summary>
/// Runs a kubeconfig <c>users[].user.exec</c> credential plugin the way kubectl does (client.authentication.k8s.io
/// v1 and v1beta1): KUBERNETES_EXEC_INFO in the environment, arguments passed as a list, stdout parsed as an
/// ExecCredential, a non-zero exit reported with the plugin's last stderr line. Done here rather than by
/// KubernetesClient, which joins arguments with spaces, ignores the exit code and puts stack traces in its messages.
/// </summary>
internal sealed class ExecCredentialPlugin
{
    private static readonly string[] SupportedVersions = ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"];
    private readonly ExternalExecution _exec;
    private readonly string _command;
    private readonly string _where;
    private readonly JsonObject? _cluster;
    private readonly TimeSpan _timeout;

    /// <param name="exec">The user's exec block.</param>
    /// <param name="kubeconfigDirectory">Relative commands with a slash are resolved against it (as client-go does).</param>
    /// <param name="where">"user 'u' in /x" for messages.</param>
    /// <param name="cluster">spec.cluster for provideClusterInfo (server, certificate-authority-data …).</param>
    /// <param name="path">The PATH to search.</param>
    /// <param name="timeout">Limit for one run.</param>
    public ExecCredentialPlugin(ExternalExecution exec, string? kubeconfigDirectory, string where, JsonObject? cluster, string? path, TimeSpan timeout)
    {
        _exec = exec;
        _where = where;
        _cluster = cluster;
        _timeout = timeout;
        if (string.IsNullOrWhiteSpace(exec.Command))
        {
            throw new ExecCredentialException($"exec credential plugin of {where}: no command given");
        }

        if (!SupportedVersions.Contains(exec.ApiVersion, StringComparer.Ordinal))
        {
            throw new ExecCredentialException(
                $"exec credential plugin '{exec.Command}' of {where}: apiVersion '{exec.ApiVersion}' is not supported; use {string.Join(" or ", SupportedVersions)}");
        }

        _command = Locate(exec.Command, kubeconfigDirectory, path)
            ?? throw new ExecCredentialException(
                $"exec credential plugin '{exec.Command}' of {where}: not found{(exec.Command.Contains('/', StringComparison.Ordinal) ? string.Empty : " on PATH")}" +
                (string.IsNullOrWhiteSpace(exec.InstallHint) ? string.Empty : $" ({OneLine.Of(exec.InstallHint)})"));
    }

    public string Command => _exec.Command;

    /// <summary>Runs the plugin once and parses its credential.</summary>
    public async Task<ExecCredential> RunAsync(CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(_command)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in _exec.Arguments ?? [])
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var variable in _exec.EnvironmentVariables ?? [])
        {
            if (!variable.TryGetValue("name", out var name) || string.IsNullOrEmpty(name))
            {
                throw new ExecCredentialException($"exec credential plugin '{Command}' of {_where}: an env entry has no name");
            }

            info.Environment[name] = variable.TryGetValue("value", out var value) ? value : string.Empty;
        }

        info.Environment["KUBERNETES_EXEC_INFO"] = ExecInfo().ToJsonString();
        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new ExecCredentialException($"exec credential plugin '{Command}' of {_where}: cannot start {_command}: {OneLine.Of(ex.Message)}");
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(_timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            await Task.WhenAll(stdout, stderr).WaitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited meanwhile: nothing left to stop.
            }

            cancellationToken.ThrowIfCancellationRequested();
            throw new ExecCredentialException(
                $"exec credential plugin '{Command}' of {_where}: no answer within {_timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)}s");
        }

        if (process.ExitCode != 0)
        {
            var last = (await stderr.ConfigureAwait(false)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
            throw new ExecCredentialException(
                $"exec credential plugin '{Command}' of {_where} failed with exit code {process.ExitCode}" + (last is null ? string.Empty : $": {OneLine.Of(last)}"));
        }

        return Parse(await stdout.ConfigureAwait(false));
    }

    internal ExecCredential Parse(string stdout)
    {
        JsonObject? json;
        try
        {
            json = JsonNode.Parse(stdout) as JsonObject;
        }
        catch (JsonException ex)
        {
            throw new ExecCredentialException($"exec credential plugin '{Command}' of {_where} printed no ExecCredential JSON ({OneLine.Of(ex.Message)})");
        }

        if (json is null || Text(json, "kind") != "ExecCredential")
        {
            throw new ExecCredentialException($"exec credential plugin '{Command}' of {_where} printed no ExecCredential JSON");
        }

        if (Text(json, "apiVersion") is var version && version != _exec.ApiVersion)
        {
            throw new ExecCredentialException(
                $"exec credential plugin '{Command}' of {_where} answered with apiVersion '{version}', the kubeconfig asks for '{_exec.ApiVersion}'");
        }

        var status = json["status"] as JsonObject;
        var token = status is null ? null : Text(status, "token");
        var certificate = status is null ? null : Text(status, "clientCertificateData");
        var key = status is null ? null : Text(status, "clientKeyData");
        if (string.IsNullOrEmpty(token) && (string.IsNullOrEmpty(certificate) || string.IsNullOrEmpty(key)))
        {
            throw new ExecCredentialException(
                $"exec credential plugin '{Command}' of {_where} returned neither status.token nor status.clientCertificateData and clientKeyData");
        }

        DateTimeOffset? expires = null;
        if (status is not null && Text(status, "expirationTimestamp") is { } stamp)
        {
            expires = DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                ? parsed
                : throw new ExecCredentialException($"exec credential plugin '{Command}' of {_where}: expirationTimestamp '{stamp}' is not a time");
        }

        return new ExecCredential(string.IsNullOrEmpty(token) ? null : token, certificate, key, expires);
    }

    private JsonObject ExecInfo()
    {
        var spec = new JsonObject { ["interactive"] = false };
        if (_exec.ProvideClusterInfo && _cluster is not null)
        {
            spec["cluster"] = _cluster.DeepClone();
        }

        return new JsonObject { ["apiVersion"] = _exec.ApiVersion, ["kind"] = "ExecCredential", ["spec"] = spec };
    }

    private static string? Text(JsonObject json, string name) =>
        json[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    /// <summary>client-go: a command with a slash is a path (relative to the kubeconfig's directory); else PATH is searched.</summary>
    internal static string? Locate(string command, string? kubeconfigDirectory, string? path)
    {
        if (command.Contains('/', StringComparison.Ordinal))
        {
            var full = Path.IsPathRooted(command) || kubeconfigDirectory is null ? Path.GetFullPath(command) : Path.GetFullPath(Path.Combine(kubeconfigDirectory, command));
            return File.Exists(full) ? full : null;
        }

        foreach (var directory in (path ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, command);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
