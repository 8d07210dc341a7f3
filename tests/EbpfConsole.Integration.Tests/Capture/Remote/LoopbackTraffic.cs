using System.Net;
using System.Net.Sockets;

namespace EbpfConsole.Integration.Tests.Capture.Remote;

/// <summary>A TCP echo listener on 127.0.0.1 at a free port: real traffic on lo for captures, and nowhere else.</summary>
internal sealed class LoopbackTraffic : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    public LoopbackTraffic()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
    }

    public int Port { get; }

    /// <summary>The filter that sees this listener's traffic only; its text is unique to the test (a marker in /proc).</summary>
    public string Filter => $"tcp port {Port}";

    /// <summary>Connects, sends <paramref name="message"/>, reads it back, closes: one full connection on lo.</summary>
    public async Task ExchangeAsync(string message = "hello")
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var accept = _listener.AcceptTcpClientAsync(timeout.Token).AsTask();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Port, timeout.Token);
        using var server = await accept;
        var bytes = System.Text.Encoding.ASCII.GetBytes(message);
        await client.GetStream().WriteAsync(bytes, timeout.Token);
        var buffer = new byte[bytes.Length];
        await server.GetStream().ReadExactlyAsync(buffer, timeout.Token);
        await server.GetStream().WriteAsync(buffer, timeout.Token);
        await client.GetStream().ReadExactlyAsync(buffer, timeout.Token);
    }

    public void Dispose() => _listener.Dispose();
}
