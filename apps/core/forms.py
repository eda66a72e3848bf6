"""Form helpers shared by every app's views."""


def add_service_errors(form, exc):
    """Show a service's ValidationError on the form: on the fields it names, else on the form as a whole."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
