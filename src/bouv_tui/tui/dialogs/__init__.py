"""The app's dialogs: modal screens on ``DialogScreen`` (``base.py``), where Ctrl+S confirms,
Esc cancels and the key line shows the dialog's own keys.

- ``common``: confirm, error (with restore), F1's help;
- ``conflict``: a save or an import refused because someone else changed the data;
- ``exchange``: the file to import, the import's preview, where to export;
- ``file_picker``: browsing for that file or folder;
- ``needs``, ``rounds``: a need's reason and "Annat" rows; choosing, making and deleting rounds;
- ``settings_form``, ``staff_form``: the municipality's settings and a person.
"""
