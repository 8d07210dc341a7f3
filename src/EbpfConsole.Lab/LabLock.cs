using System.Diagnostics;

namespace EbpfConsole.Lab;

/// <summary>
/// One mutating lab operation at a time, machine-wide (<see cref="LabMachine.LockPath"/>). An exclusive open
/// (FileShare.None: flock, which the kernel drops when the holder dies, so a killed `up` never leaves it
/// stuck). Only "held by someone else" is waited for; any other failure to open the file is reported at once.
/// </summary>
public sealed class LabLock : IDisposable
{
    /// <summary>EWOULDBLOCK from flock on Linux: .NET reports a held lock as an IOException with the errno as HResult.</summary>
    private const int WouldBlock = 11;

    /// <summary>ERROR_SHARING_VIOLATION as an HRESULT (Windows), for completeness.</summary>
    private const int SharingViolation = unchecked((int)0x80070020);

    private readonly FileStream _stream;

    private LabLock(FileStream stream) => _stream = stream;

    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(60);

    public static async Task<LabLock> AcquireAsync(string path, TimeSpan timeout, Action<string>? progress, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var started = Stopwatch.GetTimestamp();
        var told = false;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                return new LabLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException ex) when (IsHeldElsewhere(ex))
            {
                if (Stopwatch.GetElapsedTime(started) >= timeout)
                {
                    throw new LabException($"another 'lab up' (or down/mode) is running: {path} stayed locked for {timeout.TotalSeconds:0} s", ex);
                }

                if (!told)
                {
                    progress?.Invoke("another lab operation is running; waiting for it");
                    told = true;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250), ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new LabException($"cannot open the lab lock {path}: {ex.Message}", ex);
            }
        }
    }

    public void Dispose() => _stream.Dispose();

    private static bool IsHeldElsewhere(IOException ex) => ex.GetType() == typeof(IOException) && ex.HResult is WouldBlock or SharingViolation;
}
