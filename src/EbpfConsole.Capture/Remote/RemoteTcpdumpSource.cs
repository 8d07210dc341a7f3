using System.Net.Sockets;
using EbpfConsole.Capture.Files;
using EbpfConsole.Capture.Local;
using EbpfConsole.Core.Capture;
using EbpfConsole.Nodes.Ssh;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace EbpfConsole.Capture.Remote;

/// <summary>
/// tcpdump on a node over an SSH connection the caller owns: <see cref="TcpdumpCommand"/> streams pcap to stdout,
/// <see cref="PcapReader"/> reads it on a dedicated thread and hands each frame (tagged with <see cref="Point"/>) to
/// the sink as soon as it arrives. Kernel drops come from tcpdump's statistics on stderr. Stopping (cancellation or
/// dispose) closes the channel's stdin, which makes the remote script kill tcpdump; if the connection drops or this
/// process dies, sshd closes that stdin and the same happens. Failures end <see cref="RunAsync"/> with a
/// <see cref="CaptureSourceException"/> naming the node; cancellation ends it without one.
/// </summary>
public sealed class RemoteTcpdumpSource : IPacketSource
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(2);

    /// <summary>How long the reader lets tcpdump's output pile up when the pipe is empty (see <see cref="PacedReadStream"/>).</summary>
    private static readonly TimeSpan ReadPace = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan ConnectionCheckInterval = TimeSpan.FromSeconds(1);

    private readonly SshClient _client;
    private readonly string _user;
    private readonly string? _filter;
    private readonly RemoteCaptureOptions _options;
    private readonly TcpdumpStderr _stderr = new();
    private readonly CancellationTokenSource _disposed = new();
    private PcapReader? _reader;
    private Task? _run;
    private long _frames;
    private bool _connectionLost;

    /// <param name="session">A connected session; it stays the caller's (not disposed here).</param>
    /// <param name="point">The node and interface; the node names the source in messages.</param>
    /// <param name="filter">A BPF filter, or null for everything on the interface.</param>
    /// <param name="options">Snap length, privilege prefix, timeouts.</param>
    public RemoteTcpdumpSource(SshSession session, CapturePoint point, string? filter = null, RemoteCaptureOptions? options = null)
        : this(session?.Client!, session?.Target.User!, session?.Endpoint!, point, filter, options)
    {
    }

    internal RemoteTcpdumpSource(SshClient client, string user, string endpoint, CapturePoint point, string? filter, RemoteCaptureOptions? options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(point);
        _client = client;
        _user = user;
        _filter = filter;
        _options = options ?? RemoteCaptureOptions.Default;
        Point = point;
        Description = $"{point} (tcpdump over SSH to {endpoint})";
    }

    public CapturePoint Point { get; }

    public string Description { get; }

    public IReadOnlyList<CapturePoint> Points => [Point];

    public SourceStats Stats => new(_stderr.KernelDropped, Volatile.Read(ref _reader)?.Skipped ?? 0);

    /// <summary>Frames handed to the sink so far.</summary>
    public long Frames => Interlocked.Read(ref _frames);

    /// <summary>True once tcpdump's pcap header arrived: the remote capture is listening.</summary>
    public bool Capturing { get; private set; }

    /// <summary>Completes when <see cref="Capturing"/> first becomes true.</summary>
    public Task Ready => _ready.Task;

    /// <summary>tcpdump's stderr so far (errors and warnings; statistics are in <see cref="Stats"/>).</summary>
    public IReadOnlyList<string> StandardError => _stderr.Lines;

    /// <summary>Validates the interface, the filter (with the local libpcap) and the prefix, and builds the command.</summary>
    /// <exception cref="CaptureSourceException">One line naming the bad part.</exception>
    public TcpdumpCommand BuildCommand()
    {
        if (!TcpdumpCommand.TryCreate(Point.Interface, _filter, _options.SnapLength, _options.PrefixFor(_user), out var command, out var error,
                _options.StatsIntervalSeconds))
        {
            throw new CaptureSourceException($"{Point}: {error}");
        }

        if (_options.CheckFilterLocally && LibPcapFilter.Problem(command.Filter, out _) is { } problem)
        {
            throw new CaptureSourceException(problem);
        }

        return command;
    }

    public Task RunAsync(IFrameSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        if (Interlocked.CompareExchange(ref _run, Task.CompletedTask, null) is not null)
        {
            throw new InvalidOperationException($"{Description} runs only once");
        }

        var run = RunCoreAsync(sink, cancellationToken);
        Volatile.Write(ref _run, run);
        return run;
    }

    /// <summary>Stops a running capture (as cancellation does) and waits for it to end.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        await _disposed.CancelAsync().ConfigureAwait(false);
        if (Volatile.Read(ref _run) is { } run)
        {
            try
            {
                await run.ConfigureAwait(false);
            }
            catch (CaptureSourceException)
            {
                // RunAsync's caller sees the failure; disposing only has to leave nothing running.
            }
        }

        _disposed.Dispose();
    }

    private async Task RunCoreAsync(IFrameSink sink, CancellationToken cancellationToken)
    {
        var command = BuildCommand();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
        if (stop.IsCancellationRequested)
        {
            return;
        }

        var ssh = Start(command);
        var exec = ssh.Execution;
        var stderr = Task.Factory.StartNew(() => PumpStderr(ssh.Command.ExtendedOutputStream), CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var header = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var frames = Task.Factory.StartNew(() => PumpFrames(ssh.Command.OutputStream, sink, header), CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            using var headerWait = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
            headerWait.CancelAfter(_options.HeaderTimeout);
            await WaitAsync(Task.WhenAny(header.Task, frames), headerWait.Token).ConfigureAwait(false);
            if (_connectionLost)
            {
                throw new CaptureSourceException(TcpdumpFailures.ConnectionLost(Point));
            }

            if (!header.Task.IsCompleted)
            {
                var endedEarly = frames.IsCompleted;
                await StopRemoteAsync(ssh).ConfigureAwait(false);
                if (stop.IsCancellationRequested)
                {
                    return;
                }

                await EndedAsync(exec, stderr).ConfigureAwait(false);
                throw endedEarly
                    ? Failure(command, exec, ssh.Command.ExitStatus) ?? Ended("tcpdump ended before it sent a capture header")
                    : new CaptureSourceException(TcpdumpFailures.NoHeader(Point, _options.HeaderTimeout, _stderr.Summary));
            }

            Capturing = true;
            _ready.TrySetResult();
            await WaitAsync(frames, stop.Token).ConfigureAwait(false);
            if (_connectionLost)
            {
                throw new CaptureSourceException(TcpdumpFailures.ConnectionLost(Point));
            }

            if (!frames.IsCompleted)
            {
                await StopRemoteAsync(ssh).ConfigureAwait(false);
                await Task.WhenAny(frames, Task.Delay(DrainTimeout, _options.TimeProvider, CancellationToken.None)).ConfigureAwait(false);
                return;
            }

            // stdout ended without a stop from us: tcpdump exited, or the connection went away.
            await EndedAsync(exec, stderr).ConfigureAwait(false);
            if (frames.Exception?.InnerException is CaptureFormatException format)
            {
                throw new CaptureSourceException($"{Point}: tcpdump's output is not a readable capture ({format.Message})", format);
            }

            if (Failure(command, exec, ssh.Command.ExitStatus) is { } failure)
            {
                throw failure;
            }
        }
        finally
        {
            Capturing = false;
            ssh.Dispose(); // closes the channel and ends both pumps (their streams end)
            await Task.WhenAll(Observe(frames), Observe(stderr), Observe(exec)).ConfigureAwait(false);
        }
    }

    private RunningCommand Start(TcpdumpCommand command)
    {
        SshCommand? ssh = null;
        try
        {
            ssh = _client.CreateCommand(command.CommandText);
            var exec = ssh.ExecuteAsync(CancellationToken.None);
            return new RunningCommand(ssh, exec, ssh.CreateInputStream());
        }
        catch (Exception ex) when (IsConnectionFailure(ex))
        {
            ssh?.Dispose();
            throw new CaptureSourceException($"{Point.Node}: no SSH connection to start tcpdump ({TcpdumpFailures.OneLine(ex.Message)})", ex);
        }
    }

    /// <summary>Closes the channel's stdin (the remote script then kills tcpdump) and waits for the channel to close.</summary>
    private async Task StopRemoteAsync(RunningCommand ssh)
    {
        ssh.CloseInput();
        await Task.WhenAny(ssh.Execution, Task.Delay(_options.StopTimeout, _options.TimeProvider, CancellationToken.None)).ConfigureAwait(false);
    }

    /// <summary>Waits (bounded) for the command and its stderr to finish, so the exit status and every stderr line are known.</summary>
    private async Task EndedAsync(Task exec, Task stderr) =>
        await Task.WhenAny(Task.WhenAll(Observe(exec), stderr), Task.Delay(_options.StopTimeout, _options.TimeProvider, CancellationToken.None)).ConfigureAwait(false);

    private CaptureSourceException? Failure(TcpdumpCommand command, Task exec, int? exitStatus)
    {
        if (exec.Exception?.InnerException is { } lost && IsConnectionFailure(lost))
        {
            return new CaptureSourceException(TcpdumpFailures.ConnectionLost(Point, lost.Message), lost);
        }

        if (!exec.IsCompleted || !ClientConnected())
        {
            return new CaptureSourceException(TcpdumpFailures.ConnectionLost(Point));
        }

        return TcpdumpFailures.Describe(Point, _user, command, exitStatus, _stderr.Lines) is { } message
            ? new CaptureSourceException(message)
            : null;
    }

    private CaptureSourceException Ended(string what) =>
        new($"{Point}: {what}" + (_stderr.Summary is { } s ? $" ({s})" : string.Empty));

    private void PumpFrames(Stream stdout, IFrameSink sink, TaskCompletionSource header)
    {
        using var reader = new PcapReader(PacedReadStream.Over(stdout, ReadPace), Description, Point, leaveOpen: true);
        Volatile.Write(ref _reader, reader);
        header.TrySetResult();
        while (reader.TryRead(out var frame))
        {
            Interlocked.Increment(ref _frames);
            sink.Accept(in frame);
        }
    }

    private void PumpStderr(Stream stream)
    {
        using var lines = new StreamReader(stream, leaveOpen: true);
        while (lines.ReadLine() is { } line)
        {
            _stderr.Add(line);
        }
    }

    /// <summary>
    /// Waits for <paramref name="task"/> (never throws for its outcome) until <paramref name="token"/> ends the wait or the
    /// SSH client reports it is no longer connected (checked every <see cref="ConnectionCheckInterval"/>: a client
    /// disposed under us does not always complete the command, so its streams would never end).
    /// </summary>
    private async Task WaitAsync(Task task, CancellationToken token)
    {
        var observed = Observe(task);
        while (!observed.IsCompleted && !token.IsCancellationRequested)
        {
            try
            {
                await observed.WaitAsync(ConnectionCheckInterval, _options.TimeProvider, token).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                if (!ClientConnected())
                {
                    _connectionLost = true;
                    return;
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Awaits without throwing: the outcome is read from the task where it matters.</summary>
    private static async Task Observe(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The task's exception is inspected by the caller via Task.Exception; here it must not escape a finally.
        catch (Exception)
#pragma warning restore CA1031
        {
            _ = task.Exception;
        }
    }

    /// <summary>SshClient.IsConnected, false (not an exception) once the client was disposed under us.</summary>
    private bool ClientConnected()
    {
        try
        {
            return _client.IsConnected;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    private static bool IsConnectionFailure(Exception ex) =>
        ex is SshException or IOException or SocketException or ObjectDisposedException or InvalidOperationException;

    /// <summary>The SSH command with its execution and stdin; disposing closes the channel.</summary>
    private sealed class RunningCommand(SshCommand command, Task execution, Stream input) : IDisposable
    {
        private int _inputClosed;

        public SshCommand Command { get; } = command;

        public Task Execution { get; } = execution;

        /// <summary>Sends one byte, then EOF: SSH.NET sends no EOF for an input stream that never carried data.</summary>
        public void CloseInput()
        {
            if (Interlocked.Exchange(ref _inputClosed, 1) != 0)
            {
                return;
            }

            try
            {
                input.WriteByte((byte)'\n');
                input.Dispose();
            }
            catch (Exception ex) when (IsConnectionFailure(ex))
            {
                // The channel or the connection is already gone: sshd closes tcpdump's stdin itself, with the same effect.
                _ = ex;
            }
        }

        public void Dispose()
        {
            CloseInput();
            Command.Dispose();
        }
    }
}
