using System.Buffers;
using System.IO.MemoryMappedFiles;

namespace Recsys.IO;

/// <summary>
/// A read-only memory-mapped file exposed as <see cref="Memory{T}"/>, so Arrow's stream reader can slice
/// buffers straight out of the page cache instead of copying them (ArrowFileReader would copy).
/// </summary>
public sealed unsafe class MappedFile : MemoryManager<byte>
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _ptr;
    private readonly int _length;

    public MappedFile(string path)
    {
        long len = new FileInfo(path).Length;
        if (len > int.MaxValue) throw new IOException($"{path}: files over 2 GiB are not supported.");
        _length = (int)len;
        if (_length == 0)
        {
            _file = null!; _view = null!; _ptr = null;
            return;
        }
        _file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        _view = _file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        byte* p = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
        _ptr = p + _view.PointerOffset;
    }

    public int Length => _length;

    public override Span<byte> GetSpan() => _length == 0 ? Span<byte>.Empty : new Span<byte>(_ptr, _length);
    public override MemoryHandle Pin(int elementIndex = 0) => new(_ptr + elementIndex);
    public override void Unpin() { }

    protected override void Dispose(bool disposing)
    {
        if (_length == 0) return;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }
}
