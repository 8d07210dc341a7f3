using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using EbpfConsole.Lab.Api;
using EbpfConsole.Lab.Cluster;
using Microsoft.Extensions.Logging;

namespace EbpfConsole.Lab.ApiServer;

/// <summary>
/// The daemon's life: pid file, PKI and kubeconfig, the object store, the lab controller (seeded from the
/// scenario) and the HTTPS host, until SIGTERM/SIGINT. Exit codes: 0 stopped cleanly, 1 the controller failed,
/// 2 configuration or environment error (e.g. a listen address that cannot be bound). Failures are one line in
/// the log (details after it); nothing is printed to the console.
/// </summary>
public static class LabApiDaemon
{
    public static async Task<int> RunAsync(LabPaths paths, string configPath)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentException.ThrowIfNullOrWhiteSpace(configPath);
        if (!OperatingSystem.IsLinux())
        {
            await Console.Error.WriteLineAsync("the lab's API server needs Linux").ConfigureAwait(false);
            return 2;
        }

        Directory.CreateDirectory(paths.ApiDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using var logFile = new FileLoggerProvider(paths.ApiServerLogPath, TimeProvider.System);
        var log = logFile.CreateLogger("ebpf-console-lab-apiserver");
        using var stop = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        WritePidFile(paths);
        try
        {
            return await ServeAsync(paths, configPath, log, stop.Token).ConfigureAwait(false);
        }
        catch (LabException ex)
        {
            Log.Failed(log, ex.Message);
            if (ex.InnerException is not null)
            {
                Log.Details(log, ex.InnerException);
            }

            return 2;
        }
        catch (InvalidDataException ex)
        {
            // A corrupt objects.json: the message names the file and says what to do.
            Log.Failed(log, ex.Message.ReplaceLineEndings(" "));
            return 2;
        }
        catch (Exception ex) when (ex is ApiException or IOException or UnauthorizedAccessException)
        {
            Log.Failed(log, ex, "the lab API server failed: " + ex.Message.ReplaceLineEndings(" "));
            return 2;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not expected (a bug): one line and the details in the log, never a stack trace on the console.
            Log.Failed(log, ex, "the lab API server failed unexpectedly: " + ex.Message.ReplaceLineEndings(" "));
            return 1;
        }
        finally
        {
            RemovePidFile(paths);
            Log.Info(log, "stopped");
        }

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }

    /// <summary>"IP:PORT" listen entries; anything else is a <see cref="LabException"/> naming it.</summary>
    public static IReadOnlyList<IPEndPoint> ParseListen(IEnumerable<string> listen)
    {
        ArgumentNullException.ThrowIfNull(listen);
        var endpoints = new List<IPEndPoint>();
        foreach (var entry in listen)
        {
            if (!IPEndPoint.TryParse(entry, out var endpoint) || endpoint.Port == 0 || !entry.Contains(':', StringComparison.Ordinal))
            {
                throw new LabException($"listen address '{entry}' is not IP:PORT (e.g. 127.0.0.1:{LabTopology.ApiServerPort})");
            }

            endpoints.Add(endpoint);
        }

        return endpoints.Count > 0 ? endpoints : throw new LabException("the API server config lists no listen address");
    }

    [SupportedOSPlatform("linux")]
    private static async Task<int> ServeAsync(LabPaths paths, string configPath, ILogger log, CancellationToken stop)
    {
        var config = LabApiServerConfig.Read(configPath)
            ?? throw new LabException($"the API server config {configPath} is missing or not valid JSON with a scenario");
        var listen = ParseListen(config.Listen);
        var version = config.KubernetesVersion is { Length: > 0 } v ? v : LabApiHostOptions.DefaultKubernetesVersion;
        var listenText = string.Join(", ", config.Listen);
        Log.Starting(log, config.Scenario, listenText, Environment.ProcessId);

        using var pki = await LabPki.EnsureAsync(paths, ct: stop).ConfigureAwait(false);
        LabKubeconfig.Write(paths);
        LabKubeconfig.WriteViewer(paths);
        var store = new ObjectStore(paths.ApiStatePath);
        var datapath = new LabDatapath(paths, new ProcessRunner(), message => Log.Info(log, message));
        var controller = new LabController(paths, store, datapath) { Diagnostics = message => Log.Info(log, message) };
        controller.EnsureSeeded(config.Scenario, config.Nodes);

        await using var host = new LabApiHost(pki, store, controller, new LabApiHostOptions(listen, version, paths.ApiServerLogPath));
        await host.StartAsync(stop).ConfigureAwait(false);
        var controlling = controller.RunAsync(stop);
        var stopped = Task.Delay(Timeout.Infinite, stop);
        var first = await Task.WhenAny(controlling, stopped).ConfigureAwait(false);
        if (first == controlling && !stop.IsCancellationRequested)
        {
            try
            {
                await controlling.ConfigureAwait(false);
                Log.Failed(log, "the lab controller stopped by itself");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.Failed(log, ex, "the lab controller failed: " + ex.Message.ReplaceLineEndings(" "));
            }

            return 1;
        }

        Log.Info(log, "stopping (signal)");
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await host.StopAsync(grace.Token).ConfigureAwait(false);
        try
        {
            await controlling.WaitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Cancellation during shutdown is not an error.
        }

        return 0;
    }

    private static void WritePidFile(LabPaths paths)
    {
        var temp = paths.ApiServerPidPath + ".tmp";
        File.WriteAllText(temp, Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
        File.Move(temp, paths.ApiServerPidPath, overwrite: true);
    }

    private static void RemovePidFile(LabPaths paths)
    {
        try
        {
            var text = File.ReadAllText(paths.ApiServerPidPath).Trim();
            if (text == Environment.ProcessId.ToString(CultureInfo.InvariantCulture))
            {
                File.Delete(paths.ApiServerPidPath);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Already gone (or the directory was removed by `lab down`): nothing to clean up.
        }
    }
}
