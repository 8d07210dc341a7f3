using System.Net;
using System.Security.Authentication;
using EbpfConsole.Lab.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EbpfConsole.Lab.ApiServer;

/// <summary>What the lab's API host serves and where.</summary>
/// <param name="Listen">HTTPS endpoints (port 0 = an ephemeral port, see <see cref="LabApiHost.Addresses"/>).</param>
/// <param name="KubernetesVersion">The gitVersion /version reports.</param>
/// <param name="LogPath">The log file (appended); null = no logging at all.</param>
public sealed record LabApiHostOptions(IReadOnlyList<IPEndPoint> Listen, string KubernetesVersion = LabApiHostOptions.DefaultKubernetesVersion, string? LogPath = null)
{
    public const string DefaultKubernetesVersion = "v1.32.4";
}

/// <summary>
/// The emulated Kubernetes API server: ASP.NET Core (Kestrel, shared framework) over HTTPS with the lab's
/// server certificate, requiring an admin client certificate issued by the lab CA, serving <see cref="ObjectStore"/>
/// with the real API's URLs, verbs, Status errors, watches, tables, discovery and OpenAPI.
/// </summary>
public sealed class LabApiHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FileLoggerProvider? _logFile;
    private bool _started;

    public LabApiHost(LabPki pki, ObjectStore store, IPodLogSource podLogs, LabApiHostOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(pki);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(podLogs);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Listen.Count == 0)
        {
            throw new ArgumentException("at least one listen address is needed", nameof(options));
        }

        time ??= TimeProvider.System;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(LabApiHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        if (options.LogPath is not null)
        {
            _logFile = new FileLoggerProvider(options.LogPath, time);
            builder.Logging.AddProvider(_logFile);
        }

        builder.Services.AddSingleton<IHostLifetime, NoConsoleLifetime>();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = RequestReader.MaxBodyBytes + 1;
            foreach (var endpoint in options.Listen)
            {
                kestrel.Listen(endpoint, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.UseHttps(new HttpsConnectionAdapterOptions
                    {
                        ServerCertificate = pki.ServerCertificate,
                        SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                        // Asked for in the handshake, checked per request (401 Status instead of a TLS failure).
                        ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                        ClientCertificateValidation = (_, _, _) => true,
                    });
                });
            }
        });

        _app = builder.Build();
        var handler = new ApiHandler(store, podLogs, new ClientCertificateGate(pki.CaCertificate), options.KubernetesVersion, time,
            _app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("EbpfConsole.Lab.ApiServer"), _app.Lifetime.ApplicationStopping);
        _app.Run(handler.HandleAsync);
        Listen = options.Listen;
    }

    /// <summary>The endpoints asked for.</summary>
    public IReadOnlyList<IPEndPoint> Listen { get; }

    /// <summary>The bound addresses (https://IP:PORT), known after <see cref="StartAsync"/>.</summary>
    public IReadOnlyList<Uri> Addresses =>
        _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.Select(a => new Uri(a)).ToList() ?? [];

    /// <summary>Binds every endpoint; an address that cannot be bound is a <see cref="LabException"/> naming it.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        try
        {
            await _app.StartAsync(ct).ConfigureAwait(false);
            _started = true;
        }
        catch (IOException ex)
        {
            var reason = ex.InnerException is null ? ex.Message : $"{ex.Message} ({ex.InnerException.Message})";
            throw new LabException($"the lab API server cannot listen: {reason.ReplaceLineEndings(" ")}", ex);
        }

        var addresses = string.Join(", ", Addresses);
        Log.Listening(_app.Logger, addresses);
    }

    public async Task StopAsync(CancellationToken ct)
    {
        if (_started)
        {
            _started = false;
            await _app.StopAsync(ct).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await StopAsync(stop.Token).ConfigureAwait(false);
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        _logFile?.Dispose();
    }

    /// <summary>The daemon handles SIGTERM/SIGINT itself; in-process hosts (tests) must not take over the console's signals.</summary>
    private sealed class NoConsoleLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
