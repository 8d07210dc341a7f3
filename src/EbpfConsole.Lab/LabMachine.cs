namespace EbpfConsole.Lab;

/// <summary>
/// The lab's machine-global files. The lab itself is machine-global (namespaces, <c>eclab-host</c>), so the
/// lock that serialises mutations lives at a fixed path, not in a state directory, and
/// <see cref="OwnerPath"/> records which state directory built the running lab (its keys, pid files and
/// mode file describe it): `up`, `mode` and `curl` from another state directory are refused while it exists.
/// <see cref="CalicoRunDir"/> is the host directory the nodes' own /run/calico tmpfs is mounted on (P6); the lab
/// creates it only when missing and then removes it on `lab down`.
/// </summary>
public sealed class LabMachine(string runDir = LabMachine.DefaultRunDir, string? calicoRunDir = null)
{
    public const string DefaultRunDir = "/run/ebpf-console";

    public static LabMachine Default { get; } = new();

    public string RunDir { get; } = Path.GetFullPath(runDir);

    /// <summary>/run/calico for the machine's own run directory; under <see cref="RunDir"/> for any other (unit tests).</summary>
    public string CalicoRunDir { get; } = Path.GetFullPath(calicoRunDir
        ?? (Path.GetFullPath(runDir) == DefaultRunDir ? Path.GetDirectoryName(SshdLauncher.CalicoCgroupPath)! : Path.Combine(runDir, "calico")));

    /// <summary>Present when the lab created <see cref="CalicoRunDir"/> (so `lab down` removes it, and only then).</summary>
    public string CalicoRunMarkerPath => Path.Combine(RunDir, "calico-run.created");

    /// <summary>Creates <see cref="CalicoRunDir"/> when it does not exist, remembering that the lab did.</summary>
    public void EnsureCalicoRunDir()
    {
        if (Directory.Exists(CalicoRunDir))
        {
            return;
        }

        EnsureRunDir();
        Guard(CalicoRunDir, () =>
        {
            File.WriteAllText(CalicoRunMarkerPath, CalicoRunDir + "\n");
            Directory.CreateDirectory(CalicoRunDir);
        });
    }

    /// <summary>Removes <see cref="CalicoRunDir"/> when the lab created it and it is empty; a non-empty one is left and reported.</summary>
    public void RemoveCalicoRunDir(Action<string>? progress)
    {
        if (!File.Exists(CalicoRunMarkerPath))
        {
            return;
        }

        try
        {
            if (Directory.Exists(CalicoRunDir))
            {
                Directory.Delete(CalicoRunDir, recursive: false);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            progress?.Invoke($"left {CalicoRunDir} in place: {ex.Message}");
        }

        Guard(CalicoRunMarkerPath, () => File.Delete(CalicoRunMarkerPath));
    }

    public string LockPath => Path.Combine(RunDir, "lab.lock");

    public string OwnerPath => Path.Combine(RunDir, "lab.owner");

    /// <summary>Takes the machine-wide lab lock (creating <see cref="RunDir"/>).</summary>
    public Task<LabLock> LockAsync(TimeSpan timeout, Action<string>? progress, CancellationToken ct)
    {
        EnsureRunDir();
        return LabLock.AcquireAsync(LockPath, timeout, progress, ct);
    }

    /// <summary>The state directory that owns the running lab, or null when none is recorded (or the file is unreadable).</summary>
    public string? ReadOwner()
    {
        try
        {
            var owner = File.ReadAllText(OwnerPath).Trim();
            return owner.Length > 0 ? owner : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Refuses when lab namespaces exist and another state directory owns them. Without an owner record
    /// (nothing built yet, or a lab from an older version) there is nothing to refuse: `up` treats that as a partial lab.
    /// </summary>
    public void EnsureNotOwnedByAnother(LabPaths paths, IReadOnlyCollection<string> labNamespaces)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(labNamespaces);
        if (labNamespaces.Count > 0 && ReadOwner() is { } owner && !IsOwner(paths, owner))
        {
            throw new LabException(
                $"a lab owned by state directory {owner} is up; use {LabPaths.EnvironmentVariable}={owner} or run 'ebpf-console lab down' first");
        }
    }

    public void WriteOwner(LabPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        EnsureRunDir();
        var temp = OwnerPath + ".tmp";
        Guard(OwnerPath, () =>
        {
            File.WriteAllText(temp, paths.StateDir + "\n");
            File.Move(temp, OwnerPath, overwrite: true);
        });
    }

    public void RemoveOwner() => Guard(OwnerPath, () => File.Delete(OwnerPath));

    public static bool IsOwner(LabPaths paths, string owner)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(owner);
        return string.Equals(Normalise(paths.StateDir), Normalise(owner), StringComparison.Ordinal);
    }

    private static string Normalise(string dir) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir));

    private void EnsureRunDir() => Guard(RunDir, () => Directory.CreateDirectory(RunDir));

    private static void Guard(string path, Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LabException($"cannot use {path}: {ex.Message}", ex);
        }
    }
}
